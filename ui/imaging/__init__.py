"""The Image tool tab: the picture view with its rubber band, and the crop panel."""
